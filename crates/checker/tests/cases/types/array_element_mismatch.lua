-- Arrays are checked element by element.
local xs: {integer} = { 1, 2, 3 }
local ys: {integer} = { "a" } -- expect-error: cannot assign to `ys`: element `[…]` is string, not integer
print(xs, ys)
