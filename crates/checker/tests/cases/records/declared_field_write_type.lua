-- A value written to a declared field must fit the field.
type Account = {owner: string, balance: integer}
local function credit(a: Account, n: integer)
    a.balance = a.balance + n
    a.balance = "lots" -- expect-error: cannot assign string to field `balance` of Account, declared integer
end
credit({ owner = "x", balance = 0 }, 5)
