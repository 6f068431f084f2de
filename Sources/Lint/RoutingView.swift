import IPAddressing
import NetworkModel

/// The route lookups the cross-resource rules need: the winning route of a VPC table or a TGW table for
/// one address. Rules ask this view and never walk routes themselves.
struct RoutingView {
    /// The winner of a VPC route-table lookup.
    enum VPCChoice: Equatable {
        case local
        case route(Route)
    }
    /// The winner of a TGW route-table lookup.
    enum TGWChoice: Equatable {
        /// Static route or propagation toward an attachment.
        case attachment(String)
        case blackhole
    }

    let index: TopologyIndex

    /// The route `table` of VPC `v` picks for `address`, or nil when nothing matches.
    func lookup(_ table: RouteTable, vpc v: Int, _ address: IPv4Address) -> VPCChoice? {
        var best: (length: Int, rank: Int, choice: VPCChoice)?
        func offer(_ length: Int, _ rank: Int, _ choice: VPCChoice) {
            if let b = best, (b.length, -b.rank) >= (length, -rank) { return }
            best = (length, rank, choice)
        }
        for block in index.topology.vpcs[v].cidrs where block.contains(address) { offer(Int(block.length), 0, .local) }
        for route in table.routes {
            switch route.destination {
            case .cidr(.v4(let p)) where p.contains(address): offer(Int(p.length), 1, .route(route))
            case .prefixList(let name):
                for case .v4(let p) in index.prefixLists[name]?.entries ?? [] where p.contains(address) {
                    offer(Int(p.length), 2, .route(route))
                }
            default: break
            }
        }
        return best?.choice
    }

    /// The route the TGW table picks for `address`: static routes first on equal prefixes, then VPC
    /// propagations.
    func lookup(_ table: TGWRouteTable, _ address: IPv4Address) -> TGWChoice? {
        var best: (length: Int, rank: Int, choice: TGWChoice)?
        func offer(_ length: Int, _ rank: Int, _ choice: TGWChoice) {
            if let b = best, (b.length, -b.rank) >= (length, -rank) { return }
            best = (length, rank, choice)
        }
        for route in table.routes {
            let choice: TGWChoice
            switch route.target {
            case .attachment(let a): choice = .attachment(a)
            case .blackhole: choice = .blackhole
            }
            for case .v4(let p) in index.prefixes(of: route.destination) where p.contains(address) {
                offer(Int(p.length), route.destination.isPrefixList ? 1 : 0, choice)
            }
        }
        for name in table.propagations {
            guard let (_, attachment) = index.attachments[name], let v = index.vpcIndex[attachment.vpc] else { continue }
            for block in index.topology.vpcs[v].cidrs where block.contains(address) {
                offer(Int(block.length), 2, .attachment(name))
            }
        }
        return best?.choice
    }

    /// The TGW table associated with attachment `name`, if any.
    func associatedTable(of name: String, in tgw: TransitGateway) -> TGWRouteTable? {
        tgw.routeTables.first { $0.associations.contains(name) }
    }
}

extension RouteDestination {
    var isPrefixList: Bool { if case .prefixList = self { true } else { false } }
}
