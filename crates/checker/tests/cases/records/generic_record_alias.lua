-- Generic aliases substitute their arguments.
type Box<T> = {value: T}
local function unbox(b: Box<string>): string
    return b.value
end
print(unbox({ value = "x" }))
print(unbox({ value = 1 })) -- expect-error: argument 1 (b): field `value` is integer, not string
