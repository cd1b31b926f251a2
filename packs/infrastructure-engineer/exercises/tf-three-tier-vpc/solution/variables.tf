variable "cidr" {
  type        = string
  description = "VPC address range."
  default     = "10.20.0.0/16"
}

variable "azs" {
  type        = list(string)
  description = "Availability zones, one subnet per tier in each."
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}
