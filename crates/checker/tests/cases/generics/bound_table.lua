-- table.freeze requires a table.
local frozen = table.freeze({ a = 1 })
print(frozen.a)
print(table.freeze(5)) -- expect-error: `table.freeze` needs its type parameter T to be table, but the arguments make it integer
