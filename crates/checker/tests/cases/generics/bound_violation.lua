-- A type parameter's bound is checked against its binding.
local function total<T: number>(xs: {T}): T
    return xs[1]
end
print(total({ 1, 2 }))
print(total({ "a" })) -- expect-error: `total` needs its type parameter T to be number, but the arguments make it string
