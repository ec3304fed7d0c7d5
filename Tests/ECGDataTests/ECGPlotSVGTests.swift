import ECGData
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ECGPlotSVGTests {
  @Test func standardLayoutHasTwelvePanelsARhythmStripAndTheTitle() {
    let ecg = SyntheticECGGenerator(seed: 1).record(at: 0)
    let svg = ECGPlotSVG().render(signal: ecg.signal, leadNames: ecg.leadNames, samplingRate: 250, title: "a <b> & c")
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>\n"))
    #expect(svg.components(separatedBy: "<g transform=").count - 1 == 13)
    for name in ecg.leadNames { #expect(svg.contains(">\(name)</text>")) }
    #expect(svg.contains("a &lt;b&gt; &amp; c"))
    #expect(XMLParser(data: Data(svg.utf8)).parse(), "well-formed XML")
  }

  @Test func stackedLayoutDrawsEveryLeadFullLength() {
    let signal: [[Float]] = [(0..<500).map { Float(sin(Double($0) / 10)) }, [Float](repeating: 0, count: 500)]
    let svg = ECGPlotSVG(layout: .stacked).render(signal: signal, leadNames: ["A", "B"], samplingRate: 250)
    #expect(svg.components(separatedBy: "<g transform=").count - 1 == 2)
    // 500 samples at 250 Hz = 2 s = 50 mm of paper plus margins, 4 px/mm.
    #expect(svg.contains("width=\"264\""))
  }
}
