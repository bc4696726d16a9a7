/// A FIPS 180-4 SHA-256 hasher for digesting grids and scenario files.
///
/// It is meant for identity and reproducibility checks, not for security, so it makes no attempt to be
/// constant-time.
///
/// Hand-written rather than taken from swift-crypto (https://github.com/apple/swift-crypto), measured
/// here with 3.12.3: on Linux its `Crypto` module compiles BoringSSL's 362 C and assembly files, so a
/// package using only `SHA256.hash` took 186 s (102 s of CPU) to build in release from clean against 1.9 s
/// with this file, and its executable grew from 70 KB to 10.3 MB. conlab digests outputs and scenario files
/// for identity, not secrecy: this file is enough, and CI stays fast. `SHA256Tests` checks it against the
/// NIST example vectors.
public struct SHA256: Sendable {
    /// The eight working hash words, kept apart from the block buffer so both can be borrowed at once.
    private struct State {
        var h0: UInt32 = 0x6a09_e667
        var h1: UInt32 = 0xbb67_ae85
        var h2: UInt32 = 0x3c6e_f372
        var h3: UInt32 = 0xa54f_f53a
        var h4: UInt32 = 0x510e_527f
        var h5: UInt32 = 0x9b05_688c
        var h6: UInt32 = 0x1f83_d9ab
        var h7: UInt32 = 0x5be0_cd19
    }

    private static let blockSize = 64

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state = State()
    /// A partial block, held inline (64 bytes) so that hashing never allocates.
    private var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var bufferCount = 0
    private var totalByteCount: UInt64 = 0

    /// Creates a hasher with the standard initial hash value.
    public init() {}

    /// Feeds raw bytes into the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else {
            return
        }
        totalByteCount &+= UInt64(bytes.count)
        var input = bytes
        if bufferCount > 0 {
            let taken = min(Self.blockSize - bufferCount, input.count)
            let offset = bufferCount
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.advanced(by: offset).copyMemory(from: input.baseAddress!, byteCount: taken)
            }
            bufferCount += taken
            input = UnsafeRawBufferPointer(rebasing: input[(input.startIndex + taken)...])
            guard bufferCount == Self.blockSize else {
                return
            }
            withUnsafeBytes(of: buffer) { Self.compress(&state, blocks: $0) }
            bufferCount = 0
        }
        let wholeBlockBytes = input.count - input.count % Self.blockSize
        if wholeBlockBytes > 0 {
            let blocks = UnsafeRawBufferPointer(rebasing: input[..<(input.startIndex + wholeBlockBytes)])
            Self.compress(&state, blocks: blocks)
        }
        let remaining = input.count - wholeBlockBytes
        if remaining > 0 {
            let tail = input.baseAddress!.advanced(by: wholeBlockBytes)
            withUnsafeMutableBytes(of: &buffer) { $0.baseAddress!.copyMemory(from: tail, byteCount: remaining) }
            bufferCount = remaining
        }
    }

    /// Feeds a sequence of bytes into the hash; contiguous collections take the fast path.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        guard handled == nil else {
            return
        }
        // Staging through a stack chunk keeps the per-byte path free of heap traffic.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4 * Self.blockSize) { chunk in
            var count = 0
            for byte in bytes {
                chunk[count] = byte
                count += 1
                if count == chunk.count {
                    update(UnsafeRawBufferPointer(chunk))
                    count = 0
                }
            }
            update(UnsafeRawBufferPointer(start: chunk.baseAddress, count: count))
        }
    }

    /// Feeds the UTF-8 encoding of `string` into the hash.
    public mutating func update(_ string: String) {
        var string = string
        // `withUTF8` may first make the string native and contiguous, hence the mutable copy.
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Pads the message and returns the 32-byte digest.
    public consuming func finalize() -> [UInt8] {
        let bitLength = totalByteCount &* 8
        // The padding is 0x80, zeros up to 56 mod 64, then the 64-bit big-endian length.
        let padLength = (bufferCount < 56 ? 56 : 120) - bufferCount
        withUnsafeTemporaryAllocation(byteCount: padLength + 8, alignment: 8) { padding in
            padding.initializeMemory(as: UInt8.self, repeating: 0)
            padding[0] = 0x80
            padding.storeBytes(of: bitLength.bigEndian, toByteOffset: padLength, as: UInt64.self)
            update(UnsafeRawBufferPointer(padding))
        }
        let words = [state.h0, state.h1, state.h2, state.h3, state.h4, state.h5, state.h6, state.h7]
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in words {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// The lowercase hexadecimal SHA-256 digest of `bytes`.
    public static func hexDigest(of bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hex(hasher.finalize())
    }

    /// The lowercase hexadecimal SHA-256 digest of the UTF-8 encoding of `string`.
    public static func hexDigest(of string: String) -> String {
        var hasher = SHA256()
        hasher.update(string)
        return hex(hasher.finalize())
    }

    /// Finishes the hash and returns the digest as 64 lowercase hexadecimal digits.
    public mutating func finalizeHex() -> String {
        Self.hex(finalize())
    }

    private static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(digest.count * 2)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Runs the compression function over `blocks`, whose length is a multiple of 64.
    private static func compress(_ state: inout State, blocks: UnsafeRawBufferPointer) {
        roundConstants.withUnsafeBufferPointer { k in
            // A rolling 16-word window is all the message schedule needs, and it lives on the stack.
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { w in
                var offset = 0
                while offset < blocks.count {
                    for i in 0..<16 {
                        let word = blocks.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)
                        w[i] = UInt32(bigEndian: word)
                    }
                    var a = state.h0
                    var b = state.h1
                    var c = state.h2
                    var d = state.h3
                    var e = state.h4
                    var f = state.h5
                    var g = state.h6
                    var h = state.h7
                    for t in 0..<64 {
                        let wt: UInt32
                        if t < 16 {
                            wt = w[t]
                        } else {
                            let w15 = w[(t - 15) & 15]
                            let w2 = w[(t - 2) & 15]
                            let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)
                            let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10)
                            wt = w[t & 15] &+ s0 &+ w[(t - 7) & 15] &+ s1
                            w[t & 15] = wt
                        }
                        let sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                        let choice = (e & f) ^ (~e & g)
                        let t1 = h &+ sigma1 &+ choice &+ k[t] &+ wt
                        let sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = sigma0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ t2
                    }
                    state.h0 &+= a
                    state.h1 &+= b
                    state.h2 &+= c
                    state.h3 &+= d
                    state.h4 &+= e
                    state.h5 &+= f
                    state.h6 &+= g
                    state.h7 &+= h
                    offset += blockSize
                }
            }
        }
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }
}
