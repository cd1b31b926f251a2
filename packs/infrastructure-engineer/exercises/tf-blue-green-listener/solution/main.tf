variable "vpc_id" {
  type = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "certificate_arn" {
  type = string
}

resource "aws_lb" "checkout" {
  name               = "checkout"
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
}
