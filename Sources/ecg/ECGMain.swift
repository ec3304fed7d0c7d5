import ECGCommandLine

@main
enum ECGMain {
  static func main() async {
    await ECGCommand.runMain()
  }
}
