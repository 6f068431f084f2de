// Compiled data plane, security-group and NACL engines, tracing and explanations.
import NetworkModel
