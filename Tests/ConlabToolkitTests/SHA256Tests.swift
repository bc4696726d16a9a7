import ConlabCore
import ConlabToolkit
import Testing

@Suite("SHA256")
struct SHA256Tests {
    @Test("FIPS 180-2 / NIST example vectors")
    func nistVectors() {
        #expect(SHA256.hexDigest(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hexDigest(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(
            SHA256.hexDigest(
                of: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                    + "mnopqrstnopqrstu"
            ) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        )
    }

    @Test("One million 'a'")
    func millionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000)) == expected)
        #expect(SHA256.hexDigest(of: String(repeating: "a", count: 1_000_000)) == expected)
    }

    @Test("A message of exactly one block, whose padding needs a second block")
    func exactlyOneBlock() {
        // Not a NIST vector: a 64-byte string, digest from `printf '%s' '<text>' | sha256sum`.
        let text = "abcdbcdecdefdefgefghfghighijhijkijkljklmjklmnklmnolmnopmnopqnopq"
        #expect(text.utf8.count == 64)
        #expect(SHA256.hexDigest(of: text) == "9ad289b5b8ca3b67b3e1238ea026560d218cac02ee49b871795a3311874d107e")
    }

    @Test("Incremental updates split at every offset equal the one-shot digest")
    func incrementalSplits() {
        let message = (0..<130).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        // Digest from Python: hashlib.sha256(bytes((i * 7 + 3) % 256 for i in range(130))).hexdigest()
        let expected = "4d5e47a2e8510a314576c238f6ff19d389d3ef3aaaca8b2e530263a5d15741da"
        #expect(SHA256.hexDigest(of: message) == expected)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hex(hasher.finalize()) == expected, "split at \(split)")
        }
    }

    @Test("Raw pointers, non-contiguous sequences and strings agree")
    func updateOverloadsAgree() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 11) }
        let expected = SHA256.hexDigest(of: message)

        var raw = SHA256()
        message.withUnsafeBytes { raw.update($0) }
        #expect(hex(raw.finalize()) == expected)

        // A lazy map has no contiguous storage, which exercises the staged per-byte path.
        var lazy = SHA256()
        lazy.update(message.lazy.map { $0 })
        #expect(hex(lazy.finalize()) == expected)

        #expect(SHA256.hexDigest(of: AnySequence(message)) == expected)
        #expect(SHA256.hexDigest(of: "héllo wörld") == SHA256.hexDigest(of: Array("héllo wörld".utf8)))
    }

    @Test("Finalize returns 32 bytes")
    func digestLength() {
        #expect(SHA256().finalize().count == 32)
    }

    @Test("Glider grid text matches sha256sum")
    func gliderGrid() {
        let grid = "---*-----\n----*----\n--***----\n---------\n---------\n"
        // Obtained with: printf '%s' $'---*-----\n----*----\n--***----\n---------\n---------\n' | sha256sum
        #expect(SHA256.hexDigest(of: grid) == "22ee31f29e68025614b8d99ae8b8a6bdfadc1d494f886f3ce17a5ebb3af8a281")
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
