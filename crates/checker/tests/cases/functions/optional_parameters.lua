-- Optional parameters may be omitted.
local function greet(name: string, greeting: string?): string
    return (greeting or "hello") .. " " .. name
end
print(greet("a"), greet("a", "hi"))
print(greet()) -- expect-error: `greet` expects 1 to 2 arguments, got 0
