import ExchangeNode

await ExchangeNodeMain.run()
