import ECGCommandLine

await ECGCommand.main()
