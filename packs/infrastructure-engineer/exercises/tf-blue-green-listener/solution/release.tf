variable "green_percent" {
  type        = number
  description = "Share of traffic sent to green, 0-100."
  default     = 0

  validation {
    condition     = var.green_percent >= 0 && var.green_percent <= 100
    error_message = "green_percent must be between 0 and 100."
  }
}

resource "aws_lb_target_group" "blue" {
  name     = "checkout-blue"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_target_group" "green" {
  name     = "checkout-green"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.checkout.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "forward"

    forward {
      target_group {
        arn    = aws_lb_target_group.blue.arn
        weight = 100 - var.green_percent
      }

      target_group {
        arn    = aws_lb_target_group.green.arn
        weight = var.green_percent
      }

      stickiness {
        enabled  = true
        duration = 3600
      }
    }
  }
}
