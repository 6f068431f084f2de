#ifndef VPCKIT_CPCAP_SHIM_H
#define VPCKIT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
