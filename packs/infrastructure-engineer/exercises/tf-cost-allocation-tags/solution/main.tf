variable "ami_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "cost_center" {
  type        = string
  description = "Finance cost centre that pays for this service."
  default     = "cc-4410"
}

variable "environment" {
  type    = string
  default = "prod"
}

locals {
  cost_tags = {
    CostCenter  = var.cost_center
    Owner       = "media-team"
    Environment = var.environment
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = local.cost_tags
  }
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

  dynamic "tag" {
    for_each = local.cost_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
