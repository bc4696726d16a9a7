module conlab.invalid/strategies

go 1.19
