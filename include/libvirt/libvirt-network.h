/*
 * libvirt-network.h: the virtkit public C API, networks and their events.
 * Include <libvirt/libvirt.h>, not this file.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIRTKIT_LIBVIRT_NETWORK_H
#define VIRTKIT_LIBVIRT_NETWORK_H

#ifndef __VIR_LIBVIRT_H_INCLUDES__
# error "Don't include this file directly, only use libvirt/libvirt.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Networks ---------------------------------------------------------- */

typedef enum {
    VIR_NETWORK_XML_INACTIVE = 1,
} virNetworkXMLFlags;

typedef enum {
    VIR_NETWORK_CREATE_VALIDATE = 1,
} virNetworkCreateFlags;

typedef enum {
    VIR_NETWORK_DEFINE_VALIDATE = 1,
} virNetworkDefineFlags;

typedef enum {
    VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1,
    VIR_CONNECT_LIST_NETWORKS_ACTIVE = 1 << 1,
    VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 1 << 4,
    VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 1 << 5,
} virConnectListAllNetworksFlags;

int virConnectNumOfNetworks(virConnectPtr conn);
int virConnectListNetworks(virConnectPtr conn, char ** const names, int maxnames);
int virConnectNumOfDefinedNetworks(virConnectPtr conn);
int virConnectListDefinedNetworks(virConnectPtr conn, char ** const names, int maxnames);
int virConnectListAllNetworks(virConnectPtr conn, virNetworkPtr **nets, unsigned int flags);
virNetworkPtr virNetworkLookupByName(virConnectPtr conn, const char *name);
virNetworkPtr virNetworkLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virNetworkPtr virNetworkLookupByUUIDString(virConnectPtr conn, const char *uuidstr);
virNetworkPtr virNetworkCreateXML(virConnectPtr conn, const char *xmlDesc);
virNetworkPtr virNetworkCreateXMLFlags(virConnectPtr conn, const char *xmlDesc, unsigned int flags);
virNetworkPtr virNetworkDefineXML(virConnectPtr conn, const char *xml);
virNetworkPtr virNetworkDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int virNetworkUndefine(virNetworkPtr network);
int virNetworkCreate(virNetworkPtr network);
int virNetworkDestroy(virNetworkPtr network);
int virNetworkRef(virNetworkPtr network);
int virNetworkFree(virNetworkPtr network);
virConnectPtr virNetworkGetConnect(virNetworkPtr net);
const char *virNetworkGetName(virNetworkPtr network);
int virNetworkGetUUID(virNetworkPtr network, unsigned char *uuid);
int virNetworkGetUUIDString(virNetworkPtr network, char *buf);
char *virNetworkGetXMLDesc(virNetworkPtr network, unsigned int flags);
char *virNetworkGetBridgeName(virNetworkPtr network);
int virNetworkGetAutostart(virNetworkPtr network, int *autostart);
int virNetworkSetAutostart(virNetworkPtr network, int autostart);
int virNetworkIsActive(virNetworkPtr net);
int virNetworkIsPersistent(virNetworkPtr net);

/* Changing part of a network's definition, live and/or in its persistent
 * config, without restarting it (virNetworkUpdate). */
typedef enum {
    VIR_NETWORK_UPDATE_COMMAND_NONE = 0,
    VIR_NETWORK_UPDATE_COMMAND_MODIFY = 1,
    VIR_NETWORK_UPDATE_COMMAND_DELETE = 2,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3,
    VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4,
# ifdef VIR_ENUM_SENTINELS
    VIR_NETWORK_UPDATE_COMMAND_LAST
# endif
} virNetworkUpdateCommand;

typedef enum {
    VIR_NETWORK_SECTION_NONE = 0,
    VIR_NETWORK_SECTION_BRIDGE = 1,
    VIR_NETWORK_SECTION_DOMAIN = 2,
    VIR_NETWORK_SECTION_IP = 3,
    VIR_NETWORK_SECTION_IP_DHCP_HOST = 4,
    VIR_NETWORK_SECTION_IP_DHCP_RANGE = 5,
    VIR_NETWORK_SECTION_FORWARD = 6,
    VIR_NETWORK_SECTION_FORWARD_INTERFACE = 7,
    VIR_NETWORK_SECTION_FORWARD_PF = 8,
    VIR_NETWORK_SECTION_PORTGROUP = 9,
    VIR_NETWORK_SECTION_DNS_HOST = 10,
    VIR_NETWORK_SECTION_DNS_TXT = 11,
    VIR_NETWORK_SECTION_DNS_SRV = 12,
# ifdef VIR_ENUM_SENTINELS
    VIR_NETWORK_SECTION_LAST
# endif
} virNetworkUpdateSection;

typedef enum {
    VIR_NETWORK_UPDATE_AFFECT_CURRENT = 0,  /* live when active, else config */
    VIR_NETWORK_UPDATE_AFFECT_LIVE = 1 << 0,
    VIR_NETWORK_UPDATE_AFFECT_CONFIG = 1 << 1,
} virNetworkUpdateFlags;

/* 'xml' is the element to add, delete or modify (<host .../> for
 * VIR_NETWORK_SECTION_IP_DHCP_HOST); 'parentIndex' picks the <ip> (-1: the
 * first that fits). Returns 0, or -1 on error. */
int virNetworkUpdate(virNetworkPtr network, unsigned int command, unsigned int section,
                     int parentIndex, const char *xml, unsigned int flags);

/* DHCP leases a running network's server handed out. */
typedef enum {
    VIR_IP_ADDR_TYPE_IPV4,
    VIR_IP_ADDR_TYPE_IPV6,
# ifdef VIR_ENUM_SENTINELS
    VIR_IP_ADDR_TYPE_LAST
# endif
} virIPAddrType;

typedef struct _virNetworkDHCPLease virNetworkDHCPLease;
typedef virNetworkDHCPLease *virNetworkDHCPLeasePtr;
struct _virNetworkDHCPLease {
    char *iface;          /* the network's bridge */
    long long expirytime; /* seconds since the epoch */
    int type;             /* virIPAddrType */
    char *mac;            /* NULL for DHCPv6 leases */
    char *iaid;           /* DHCPv6 IAID, else NULL */
    char *ipaddr;
    unsigned int prefix;
    char *hostname;       /* NULL when the client sent none */
    char *clientid;       /* client ID or DUID, NULL when none */
};

void virNetworkDHCPLeaseFree(virNetworkDHCPLeasePtr lease);
/* Returns the number of leases (of 'mac' only, when not NULL); with
 * 'leases' not NULL also a NULL-terminated array the caller frees, each
 * with virNetworkDHCPLeaseFree and the array with free(). -1 on error. */
int virNetworkGetDHCPLeases(virNetworkPtr network, const char *mac,
                            virNetworkDHCPLeasePtr **leases, unsigned int flags);

/* Network events. Callbacks run on a thread of the library (no event loop
 * has to be registered or run); they may call back into the API. */
typedef enum {
    VIR_NETWORK_EVENT_DEFINED = 0,
    VIR_NETWORK_EVENT_UNDEFINED = 1,
    VIR_NETWORK_EVENT_STARTED = 2,
    VIR_NETWORK_EVENT_STOPPED = 3,
# ifdef VIR_ENUM_SENTINELS
    VIR_NETWORK_EVENT_LAST
# endif
} virNetworkEventLifecycleType;

typedef enum {
    VIR_NETWORK_EVENT_ID_LIFECYCLE = 0, /* virConnectNetworkEventLifecycleCallback */
# ifdef VIR_ENUM_SENTINELS
    VIR_NETWORK_EVENT_ID_LAST
# endif
} virNetworkEventID;

typedef void (*virConnectNetworkEventLifecycleCallback)(virConnectPtr conn, virNetworkPtr net,
                                                        int event, int detail, void *opaque);
/* The type callbacks are registered as; cast with VIR_NETWORK_EVENT_CALLBACK. */
typedef void (*virConnectNetworkEventGenericCallback)(virConnectPtr conn, virNetworkPtr net,
                                                      void *opaque);
# define VIR_NETWORK_EVENT_CALLBACK(cb) ((virConnectNetworkEventGenericCallback)(cb))

/* Returns a callback id (>= 0) for virConnectNetworkEventDeregisterAny, or
 * -1. 'net' (optional) limits the callback to one network; 'freecb', if
 * given, is called with 'opaque' once the callback is deregistered. */
int virConnectNetworkEventRegisterAny(virConnectPtr conn, virNetworkPtr net, int eventID,
                                      virConnectNetworkEventGenericCallback cb, void *opaque,
                                      virFreeCallback freecb);
int virConnectNetworkEventDeregisterAny(virConnectPtr conn, int callbackID);

/* ---- Network ports ------------------------------------------------------
 * A port is one connection of a guest NIC to a network, named by its UUID.
 * The handle keeps its network referenced. */

typedef struct _virNetworkPort virNetworkPort;
typedef virNetworkPort *virNetworkPortPtr;

typedef enum {
    VIR_NETWORK_PORT_CREATE_RECLAIM = (1 << 0),
    VIR_NETWORK_PORT_CREATE_VALIDATE = (1 << 1),
} virNetworkPortCreateFlags;

/* Typed parameters of a port's bandwidth (virNetworkPortSetParameters). */
#define VIR_NETWORK_PORT_BANDWIDTH_IN_AVERAGE "inbound.average"
#define VIR_NETWORK_PORT_BANDWIDTH_IN_PEAK "inbound.peak"
#define VIR_NETWORK_PORT_BANDWIDTH_IN_BURST "inbound.burst"
#define VIR_NETWORK_PORT_BANDWIDTH_IN_FLOOR "inbound.floor"
#define VIR_NETWORK_PORT_BANDWIDTH_OUT_AVERAGE "outbound.average"
#define VIR_NETWORK_PORT_BANDWIDTH_OUT_PEAK "outbound.peak"
#define VIR_NETWORK_PORT_BANDWIDTH_OUT_BURST "outbound.burst"

virNetworkPortPtr virNetworkPortLookupByUUID(virNetworkPtr net, const unsigned char *uuid);
virNetworkPortPtr virNetworkPortLookupByUUIDString(virNetworkPtr net, const char *uuidstr);
virNetworkPortPtr virNetworkPortCreateXML(virNetworkPtr net, const char *xmldesc,
                                          unsigned int flags);
/* The port's network; the caller does not own the reference. */
virNetworkPtr virNetworkPortGetNetwork(virNetworkPortPtr port);
char *virNetworkPortGetXMLDesc(virNetworkPortPtr port, unsigned int flags);
int virNetworkPortGetUUID(virNetworkPortPtr port, unsigned char *uuid);
int virNetworkPortGetUUIDString(virNetworkPortPtr port, char *buf);
int virNetworkPortSetParameters(virNetworkPortPtr port, virTypedParameterPtr params,
                                int nparams, unsigned int flags);
int virNetworkPortGetParameters(virNetworkPortPtr port, virTypedParameterPtr *params,
                                int *nparams, unsigned int flags);
int virNetworkPortDelete(virNetworkPortPtr port, unsigned int flags);
int virNetworkListAllPorts(virNetworkPtr network, virNetworkPortPtr **ports,
                           unsigned int flags);
int virNetworkPortFree(virNetworkPortPtr port);
int virNetworkPortRef(virNetworkPortPtr port);

#ifdef __cplusplus
}
#endif

#endif /* VIRTKIT_LIBVIRT_NETWORK_H */
