variable "vpc_id" {
  type        = string
  description = "VPC that hosts the service."
}

# Declare the alb, app and db security groups here.
