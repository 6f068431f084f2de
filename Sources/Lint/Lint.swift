// Topology lint rules.
import Reachability
import Reporting
