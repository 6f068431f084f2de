// Importers: AWS describe-* JSON and Terraform plan/state JSON into the topology model.
import NetworkModel
