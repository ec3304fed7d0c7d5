import ECGCommandLine

await ECGCommand.start()
