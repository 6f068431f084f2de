// gzip encoding through zlib (the one file importing CZlib).
import CZlib

/// gzip (RFC 1952) encoding of a byte buffer, as S3 delivery writes flow log files.
public enum Gzip {
    /// The gzip-compressed form of `bytes` (deflate level 6), or nil if zlib fails.
    public static func compress(_ bytes: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let initStatus = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 64
        // zlib only reads the input (`next_in` is not const in its C declaration): no copy of it; the output is
        // written into uninitialised capacity (no zero-filled buffer of the input's size).
        var status: Int32 = Z_STREAM_ERROR
        let output = [UInt8](unsafeUninitializedCapacity: bound) { outBuffer, written in
            written = 0
            bytes.withUnsafeBufferPointer { inBuffer in
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                status = deflate(&stream, Z_FINISH)
            }
            if status == Z_STREAM_END { written = Int(stream.total_out) }
        }
        guard status == Z_STREAM_END else { return nil }
        return output
    }
}
