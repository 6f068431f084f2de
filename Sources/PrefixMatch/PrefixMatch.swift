// Longest-prefix-match tables: PrefixTable (builder) and CompiledPrefixTable (frozen); see Docs/ARCHITECTURE.md.
import IPAddressing
