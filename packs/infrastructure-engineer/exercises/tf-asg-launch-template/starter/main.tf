variable "ami_id" {
  type        = string
  description = "AMI for the web instances."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets, at least two zones."
}

variable "vpc_id" {
  type        = string
  description = "VPC of the target group."
}

resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}
