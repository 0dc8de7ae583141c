import Foundation
import Tensor
import XCTest

/// The choice of OpenBLAS core (`BLASCore.decide`): CPU features, the library's choice and the
/// environment go in, a decision comes out. Then the same rule on this machine, in this process.
final class BLASCoreTests: XCTestCase {
    /// The feature flags of three kinds of CPU, as /proc/cpuinfo lists them (the parts that matter).
    static let sse3Only: Set<String> = ["sse", "sse2", "pni", "ssse3"]
    static let avxOnly: Set<String> = sse3Only.union(["sse4_1", "sse4_2", "avx"])
    static let avx2: Set<String> = avxOnly.union(["avx2", "fma", "f16c"])
    static let avx512: Set<String> = avx2.union(["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"])
    /// OpenBLAS 0.3.21's generic cores (SSE2/SSE3 kernels), as openblas_get_corename names them.
    static let genericCores = [
        "Unknown", "Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn", "Dunnington",
        "Nehalem", "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Bobcat"
    ]

    func decide(_ flags: Set<String>, _ core: String, _ environment: [String: String] = [:]) -> BLASCore.Decision {
        BLASCore.decide(flags: flags, libraryCore: core, environment: environment)
    }

    func testAGenericCoreIsReplacedByTheBestTheCPURuns() {
        for core in Self.genericCores {
            XCTAssertEqual(decide(Self.avx512, core), .override(core: "SkylakeX", picked: core), core)
            XCTAssertEqual(decide(Self.avx512.union(["avx512_bf16"]), core), .override(core: "SkylakeX", picked: core))
            XCTAssertEqual(decide(Self.avx2, core), .override(core: "Haswell", picked: core), core)
            XCTAssertEqual(decide(Self.avxOnly, core), .override(core: "Sandybridge", picked: core), core)
            XCTAssertEqual(decide(Self.sse3Only, core), .keep(source: .library), "nothing better runs: \(core)")
        }
        XCTAssertEqual(decide(Self.avx512, "PRESCOTT"), .override(core: "SkylakeX", picked: "PRESCOTT"), "any case")
    }

    /// AVX-512 without one of the five subsets SkylakeX's kernels execute is AVX2's.
    func testAVX512NeedsEveryPartSkylakeXUses() {
        for missing in ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"] {
            XCTAssertEqual(BLASCore.best(flags: Self.avx512.subtracting([missing])), "Haswell", missing)
        }
        XCTAssertEqual(BLASCore.best(flags: Self.avx2.subtracting(["fma"])), "Sandybridge")
        XCTAssertNil(BLASCore.best(flags: []))
    }

    func testACoreThatFitsIsKept() {
        for core in ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", "Sandybridge", "Excavator"] {
            XCTAssertEqual(decide(Self.avx512, core), .keep(source: .library), core)
        }
        XCTAssertEqual(decide(Self.avx512, "GraniteRapids"), .keep(source: .library), "a core this code does not know")
        XCTAssertNil(BLASCore.tier(of: "GraniteRapids"))
    }

    func testTheUsersSettingIsKept() {
        XCTAssertEqual(decide(Self.avx512, "Prescott", ["OPENBLAS_CORETYPE": "Prescott"]), .keep(source: .user))
        XCTAssertEqual(decide(Self.avx512, "Haswell", ["OPENBLAS_CORETYPE": "Haswell"]), .keep(source: .user))
        XCTAssertEqual(
            decide(Self.avx512, "Prescott", ["OPENBLAS_CORETYPE": ""]), .override(core: "SkylakeX", picked: "Prescott"),
            "an empty setting is no setting")
        // After the restart: the setting is the program's own.
        XCTAssertEqual(
            decide(Self.avx512, "SkylakeX", ["OPENBLAS_CORETYPE": "SkylakeX", BLASCore.pickedVariable: "Prescott"]),
            .keep(source: .program))
    }

    func testTestsCanPlayTheLibrarysChoice() {
        XCTAssertEqual(
            decide(Self.avx512, "Cooperlake", [BLASCore.testPickedVariable: "Prescott"]),
            .override(core: "SkylakeX", picked: "Prescott"))
    }

    /// What the restart sets: the wait policy unless the user set one, the core with its companion
    /// where the decision replaces the library's.
    func testTheRestartSetsWhatTheDecisionSays() {
        func names(_ environment: [String: String], _ core: String) -> [String] {
            KernelEnvironment.changes(environment: environment, flags: Self.avx512, libraryCore: core).map {
                "\($0.name)=\($0.value)"
            }
        }
        XCTAssertEqual(names([:], "Cooperlake"), ["OMP_WAIT_POLICY=PASSIVE"])
        XCTAssertEqual(names(["OMP_WAIT_POLICY": "ACTIVE"], "Cooperlake"), [])
        XCTAssertEqual(
            names(["OMP_WAIT_POLICY": "ACTIVE"], "Prescott"),
            ["OPENBLAS_CORETYPE=SkylakeX", "\(BLASCore.pickedVariable)=Prescott"])
        // The restarted program sets nothing more: no second restart.
        XCTAssertEqual(
            names(
                ["OMP_WAIT_POLICY": "PASSIVE", "OPENBLAS_CORETYPE": "SkylakeX", BLASCore.pickedVariable: "Prescott"],
                "SkylakeX"), [])
    }

    /// The guard: on no CPU with AVX2 and FMA does the rule leave a generic core running, unless
    /// the user set it.
    func testNoCPUWithAVX2AndFMARunsGenericKernels() {
        for flags in [Self.avx2, Self.avx512, Self.avx512.union(["avx512_bf16", "avx512_fp16"])] {
            for core in Self.genericCores + ["Haswell", "Zen", "SkylakeX", "Cooperlake"] {
                let running: String
                switch decide(flags, core) {
                case .keep: running = core
                case .override(let better, _): running = better
                }
                XCTAssertGreaterThanOrEqual(
                    BLASCore.tier(of: running) ?? .avx512, .avx2, "\(core) on \(flags.sorted())")
            }
        }
    }

    /// This process: where the CPU has AVX2 and FMA, the engine's GEMMs run an AVX2 or AVX-512 core.
    /// (scripts/test.sh sets OPENBLAS_CORETYPE for the test process as the program would; a user's
    /// own generic setting fails here on purpose.)
    func testThisProcessRunsNoGenericKernels() throws {
        let flags = CPUCheck.flags()
        guard flags.isSuperset(of: ["avx2", "fma"]) else {
            throw XCTSkip("this CPU lacks AVX2 or FMA (flags: \(flags.count)); the build would not run on it")
        }
        XCTAssertNotEqual(
            BLASCore.tier(of: Threads.blasCore), .generic,
            "OpenBLAS runs its generic \(Threads.blasCore) kernels on a CPU with AVX2 and FMA "
                + "(OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset"))")
    }

    func testOneDNNsInstructionSetsByName() {
        XCTAssertEqual(KernelChoice.oneDNNISAName(0xe7), "avx512_core_bf16")
        XCTAssertEqual(KernelChoice.oneDNNISAName(0x7), "avx2")
        XCTAssertEqual(KernelChoice.oneDNNISAName(0x1234), "isa-0x1234")
    }

    func testNotes() {
        func choice(_ core: String, _ source: BLASCore.Source, _ picked: String? = nil) -> KernelChoice {
            KernelChoice(
                openBLASCore: core, openBLASSource: source, openBLASPicked: picked, oneDNNISA: "avx2", threads: 2,
                precision: .fp32)
        }
        XCTAssertEqual(
            choice("SkylakeX", .program, "Prescott").note(flags: Self.avx512),
            "note: OpenBLAS picked its generic Prescott kernels for this CPU; vaegan-render runs SkylakeX's instead "
                + "(set OPENBLAS_CORETYPE to choose)")
        XCTAssertNil(choice("SkylakeX", .program, "Prescott").note(besideLine: true, flags: Self.avx512))
        XCTAssertEqual(
            choice("Prescott", .user).note(besideLine: true, flags: Self.avx2),
            "note: OPENBLAS_CORETYPE holds OpenBLAS to its generic Prescott kernels; this CPU runs Haswell's "
                + "(unset OPENBLAS_CORETYPE to let vaegan-render choose)")
        XCTAssertNil(choice("Prescott", .user).note(flags: Self.sse3Only), "nothing better to run")
        XCTAssertNil(choice("Haswell", .user).note(flags: Self.avx512), "the user's fitting choice")
        XCTAssertNil(choice("Cooperlake", .library).note(flags: Self.avx512))
    }
}
