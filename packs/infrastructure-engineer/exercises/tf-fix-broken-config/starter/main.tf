provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAZ7EXAMPLE4QF2KMD"
  secret_key = "m1Vx9sEXAMPLEq0tY4mN8wKEYr2bH7cJ5dLpA3uZ"
}

variable "admin_cidr" {
  type        = string
  description = "Office VPN range allowed to SSH."
  default     = "10.8.0.0/16"
}

variable "vpc_id" {
  type        = string
  description = "VPC for the admin host and database."
}

variable "ami_id" {
  type        = string
  description = "AMI of the admin host."
}

resource "aws_security_group" "admin" {
  name   = "admin-ssh"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami             = var.ami_id
  instance_type   = "t3.micro"
  security_groups = ["admin-ssh"]
}

resource "aws_db_instance" "main" {
  identifier          = "orders"
  engine              = "postgres"
  engine_version      = "16"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  username            = "orders"
  password            = "Orders2024!"
  publicly_accessible = true
  skip_final_snapshot = true
}
