import Foundation
import Testing
@testable import PoseEngine

@Suite struct FastMathTests {
    @Test func expAndErfMatchTheLibrary() {
        for step in 0...400 {
            let x = Float(step) / 10 - 20
            #expect(abs(FastMath.exp(x) - Foundation.exp(x)) <= 1e-6 * Foundation.exp(x), "exp(\(x))")
            #expect(abs(FastMath.erf(x / 5) - Foundation.erf(x / 5)) <= 2e-7 + 1e-6 * abs(Foundation.erf(x / 5)), "erf(\(x / 5))")
        }
    }

    /// A diverging model hands exp a NaN: it must come back as NaN (converting it to the
    /// exponent's integer trapped), and infinities are clamped to the float range's ends.
    @Test func nonFiniteInputsDoNotTrap() {
        #expect(FastMath.exp(.nan).isNaN)
        #expect(FastMath.exp(.infinity) > 1e38 && FastMath.exp(-.infinity) < 1e-37)
    }
}
