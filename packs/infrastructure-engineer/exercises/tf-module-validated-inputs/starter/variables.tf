variable "name" {}
variable "environment" {}
variable "instance_count" {}
variable "subnet_ids" {}
variable "vpc_id" {}
variable "ami_id" {}
variable "tags" {}
