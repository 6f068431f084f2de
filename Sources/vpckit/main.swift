// The `vpckit` executable: everything else is in VPCKitCLI (the commands) and the libraries below it.
import VPCKitCLI

VPCKitTool.main()
