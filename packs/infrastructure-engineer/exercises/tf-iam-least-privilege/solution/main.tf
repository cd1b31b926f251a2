resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports-ingest"
}

resource "aws_sqs_queue" "jobs" {
  name = "report-jobs"
}
