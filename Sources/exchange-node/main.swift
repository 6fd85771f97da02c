await ExchangeNodeMain.run()
