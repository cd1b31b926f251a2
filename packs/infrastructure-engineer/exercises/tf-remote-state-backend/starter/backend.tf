# State is currently local (terraform.tfstate next to this file).
# Configure the remote backend here.
terraform {
}
