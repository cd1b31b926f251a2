variable "db_subnet_ids" {
  type        = list(string)
  description = "Private db subnets, one per availability zone."
}

variable "db_security_group_id" {
  type        = string
  description = "Security group admitting the app tier on 5432."
}

resource "aws_db_subnet_group" "main" {
  name       = "orders"
  subnet_ids = var.db_subnet_ids
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  engine_version = "16"
  instance_class = "db.r6g.large"

  allocated_storage = 100
  storage_type      = "gp3"
  storage_encrypted = true

  username                    = "orders_admin"
  manage_master_user_password = true

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.main.name
  vpc_security_group_ids = [var.db_security_group_id]
  publicly_accessible    = false

  backup_retention_period   = 7
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "orders-final"
}
