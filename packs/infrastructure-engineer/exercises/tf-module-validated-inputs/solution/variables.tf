variable "name" {
  type        = string
  description = "Service name, used in resource names."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "instance_count" {
  type        = number
  description = "Minimum number of instances; the group may scale to twice this."

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 10 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number from 1 to 10."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets to launch into, in at least two availability zones."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets so the group survives a zone failure."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC for the security group."
}

variable "ami_id" {
  type        = string
  description = "AMI to launch."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource."
  default     = {}
}
