// pcap replay into VPC Flow Log records.
import CPcap
import Reachability
