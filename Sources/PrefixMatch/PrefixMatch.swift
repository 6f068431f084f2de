// Longest-prefix-match tables; see Docs/ARCHITECTURE.md.
import IPAddressing
