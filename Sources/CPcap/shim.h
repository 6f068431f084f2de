#ifndef VPCKIT_CPCAP_SHIM_H
#define VPCKIT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#include <stdio_ext.h>  /* __fsetlocking: the capture FILE is read by one thread */
#endif
