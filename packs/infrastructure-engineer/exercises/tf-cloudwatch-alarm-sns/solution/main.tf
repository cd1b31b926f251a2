variable "public_subnet_ids" {
  type = list(string)
}

variable "oncall_email" {
  type        = string
  description = "Address that receives pages."
}

resource "aws_lb" "api" {
  name               = "api"
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
}
