-- Values of manifest interfaces are not scalars.
local db = sql.get("app:db")
local n: integer = db -- expect-error: cannot assign sql.DB to `n`, declared integer
print(n)
