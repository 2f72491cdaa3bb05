-- A type parameter nothing binds is any.
local function empty<T>(): {T}
    return {}
end
local xs: {string} = empty()
print(xs)
