-- table.freeze returns its argument's type: fields stay known.
type Consts = {max: integer, name: string}
local c: Consts = table.freeze({ max = 3, name = "x" })
print(c.max, c.name)
print(c.maxx) -- expect-error: no field `maxx` in Consts; did you mean `max`?
