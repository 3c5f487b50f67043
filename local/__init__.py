"""What runs Collectra on one machine: the AWS emulator, the local API gateway and the email stand-in.

Everything here reads template.yaml, so the laptop stack cannot drift from what SAM deploys.
"""
