-- `return table.freeze(consts)` keeps every field for importers.
local consts = { RETRIES = 3, NAME = "svc" }
local frozen = table.freeze(consts)
local n: integer = frozen.RETRIES
local s: integer = frozen.NAME -- expect-error: cannot assign string to `s`, declared integer
print(n, s)
return frozen
