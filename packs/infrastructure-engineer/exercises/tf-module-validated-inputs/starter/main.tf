resource "aws_security_group" "this" {
  name   = "${var.name}-${var.environment}"
  vpc_id = var.vpc_id
  tags   = var.tags
}

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-"
  image_id               = var.ami_id
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.this.id]
}

resource "aws_autoscaling_group" "this" {
  name                = "${var.name}-${var.environment}"
  min_size            = var.instance_count
  max_size            = var.instance_count * 2
  vpc_zone_identifier = var.subnet_ids

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }
}
