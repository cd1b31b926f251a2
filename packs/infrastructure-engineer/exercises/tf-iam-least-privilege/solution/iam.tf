data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "ListIncoming"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.reports.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["incoming/*"]
    }
  }

  statement {
    sid       = "ReadIncoming"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.arn}/incoming/*"]
  }

  statement {
    sid = "ConsumeJobs"
    actions = [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
    ]
    resources = [aws_sqs_queue.jobs.arn]
  }
}

resource "aws_iam_role" "worker" {
  name               = "report-worker"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_policy" "worker" {
  name   = "report-worker"
  policy = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_role_policy_attachment" "worker" {
  role       = aws_iam_role.worker.name
  policy_arn = aws_iam_policy.worker.arn
}

resource "aws_iam_instance_profile" "worker" {
  name = "report-worker"
  role = aws_iam_role.worker.name
}
