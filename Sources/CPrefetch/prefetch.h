// A cache prefetch hint for Swift, which has no intrinsic for it: the flow log replay asks for the hash-table
// lines of packets a few places ahead of the one it replays.
#ifndef VPCKIT_PREFETCH_H
#define VPCKIT_PREFETCH_H

/// Hints that `address` will be read soon (no fault, no effect on results).
static inline __attribute__((always_inline)) void vpckit_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
