-- table.clone returns its argument's type.
type Opts = {depth: integer}
local o: Opts = { depth = 1 }
local copy = table.clone(o)
print(copy.depth, copy.dept) -- expect-error: no field `dept` in Opts; did you mean `depth`?
