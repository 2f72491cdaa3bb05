-- A table literal passed where a record is declared must have its required fields.
local function pay(m: {amount: number, currency: string}): string
    return m.currency .. tostring(m.amount)
end
print(pay({ amount = 10 })) -- expect-error: argument 1 (m): missing field `currency` in {amount: number, currency: string}
print(pay({ amount = 10, currency = "EUR" }))
