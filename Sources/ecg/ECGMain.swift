import ArgumentParser
import ECGCommandLine

@main
enum ECGMain {
  static func main() async {
    let command: any AsyncParsableCommand.Type = ECGCommand.self
    await command.main()
  }
}
