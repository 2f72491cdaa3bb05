-- Fields assigned to a local table are part of its type.
local state = {}
state.count = 0
state.name = "x"
local c: string = state.count -- expect-error: cannot assign integer to `c`, declared string
print(c, state.name)
