-- Map values are checked.
local m: {[string]: integer} = { a = 1 }
local bad: {[string]: integer} = { a = "x" } -- expect-error: cannot assign to `bad`: field `a` is string, not integer
print(m, bad)
