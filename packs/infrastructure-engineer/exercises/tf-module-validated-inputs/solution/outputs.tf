output "asg_name" {
  description = "Name of the autoscaling group."
  value       = aws_autoscaling_group.this.name
}

output "security_group_id" {
  description = "Security group of the instances, for callers to allow traffic from."
  value       = aws_security_group.this.id
}
