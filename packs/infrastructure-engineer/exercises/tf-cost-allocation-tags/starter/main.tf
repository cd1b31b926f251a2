provider "aws" {
  region = "eu-west-1"
}

variable "ami_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_s3_bucket" "uploads" {
  bucket = "acme-thumbnailer-uploads"
}

resource "aws_sqs_queue" "jobs" {
  name = "thumbnail-jobs"
}

resource "aws_launch_template" "worker" {
  name_prefix   = "thumbnailer-"
  image_id      = var.ami_id
  instance_type = "c7g.large"
}

resource "aws_autoscaling_group" "worker" {
  name                = "thumbnailer"
  min_size            = 1
  max_size            = 10
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.worker.id
    version = aws_launch_template.worker.latest_version
  }
}
